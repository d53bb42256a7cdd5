"""Settings split by environment: ``dev`` (the default), ``test`` and ``production``.

Every value that varies between deployments is read from the environment in
``base.py`` and nowhere else.
"""
