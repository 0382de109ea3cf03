"""The nbgrader course folder as our commands read and write it: its configuration and layout,
student ids, LMS uploads, the run record, the gradebook and fresh data variants."""
