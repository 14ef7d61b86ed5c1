// Placeholder: the CatFee module is being written.
