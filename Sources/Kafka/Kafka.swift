// Placeholder: the Kafka module is being written.
