"""The registry staff's pages (``/staff``): log in, review identity documents."""
