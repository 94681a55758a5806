"""The words the pages and the command line show, each written once for every surface that says it, in the module
named for what it is for: a page's own words in the page's (`my_store`, `roster`, `upload`, `settings_page`,
`signin`, `audit`), how a saved plan is named and said to be out of date on every surface (`plans`), what a page says
while it works (`work`) and of a simulation's hours at risk (`simulation`), and what a fix tells the user to do with a
file or a plan, in the app's words and the command line's (`fixes`). A page writes no sentence of its own: it imports
each from the module that holds it (this package passes on none). What a result says of itself on every surface (a
roster's reasons to be out of date, a schedule's status) is written beside the model that finds it, in planner/.

Stdlib, the settings' labels, `planner.words` and `planner.weeks` only, and no module here imports another: every
layer that writes a fix (reading, checking, intake) may use them.
"""
