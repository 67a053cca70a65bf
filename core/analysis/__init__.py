"""Analysis of a project's quotes: charts of who gets a voice, the same in the CLI and the window."""
