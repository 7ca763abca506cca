"""The bare baseline: a Flask hello-world with no extension, no config, no database.

Served by its own gunicorn with the same settings as the app (``bench.bare_hello:app``), side by side in
the same ``make bench`` run, so the table shows what a page costs over plain Flask + gunicorn + wrk on
this machine, and what the app's own middleware already costs (the app's ``/bench/hello`` route).
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
