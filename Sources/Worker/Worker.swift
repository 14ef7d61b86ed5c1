// Placeholder: the Worker module is being written.
