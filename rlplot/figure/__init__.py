"""Drawing and saving. This package never opens an input file: it draws arrays it is given."""
