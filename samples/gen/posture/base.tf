# Nothing exists before: change.tf creates the keys.
