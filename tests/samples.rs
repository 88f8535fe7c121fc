// placeholder replaced once samples exist
