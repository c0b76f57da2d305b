"""The .dk zone: what it holds (content), the master file (generate), the journal's
publication to the name server (publisher), the sandbox's own Knot DNS (knot), and the
registry's name-server checks (check).

An adapter layer beside ``mail``: it reads the store and is used by the lifecycle, the
actions (name-server checks) and the app; it imports neither actions nor doors.
"""
