"""Public calendar feeds of the agenda and one-item downloads.

``selectors`` reads what a feed holds and the cheap state its validators come from; ``items``
turns rows into ``agenda.ical.FeedItem``; ``agenda.ical`` writes them; ``responses`` answers
HTTP (validators, 304, headers); ``views`` and ``urls`` wire them. The personal feed of a
registration lives in ``registrations.feeds`` and reuses all of these.
"""
