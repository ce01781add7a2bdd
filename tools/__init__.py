"""Developer tools (evaluation against gold); not part of the installed pipeline."""
