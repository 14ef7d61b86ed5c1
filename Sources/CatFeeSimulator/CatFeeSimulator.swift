// Placeholder: the CatFeeSimulator module is being written.
