print("catfee-worker")
