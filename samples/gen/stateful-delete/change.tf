# Everything is removed from the configuration.
