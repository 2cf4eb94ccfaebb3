"""The ``ihms`` command line: a Typer app with one command group per subpackage."""
