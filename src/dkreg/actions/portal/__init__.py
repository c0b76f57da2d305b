"""The registrar portal's own actions: access, login, users, portfolio."""
