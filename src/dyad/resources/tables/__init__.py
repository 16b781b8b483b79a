"""Loaders for the resource files: each builds its tables from our files and users'
`--resources` folders. They depend on nothing in `dyad.extract`, which reads the tables."""
