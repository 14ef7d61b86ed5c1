// The benchmark is being written (issue 6).
print("catfee-bench: not yet implemented")
