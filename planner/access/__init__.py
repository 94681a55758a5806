"""Who may see and change what: a user's scope, passed as a value to every function that reads or writes store data
(see `scope`)."""
