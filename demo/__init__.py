"""The demo for the quick start: organisations, programmes, people, a run's proposals and a
login for each role (`manage.py demo_load`). Not part of the production image: the app is
installed only with DEBUG on (config/settings.py), and the Dockerfile does not copy it."""
