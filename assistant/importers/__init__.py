"""Report files of every format read into a Report with import notes."""
