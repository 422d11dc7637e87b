"""E-mail: the parser, the services and the mail loop against real servers."""
