"""Wiring of the appraisal layer into the app: blueprints, CLI groups and template helpers.

``create_app`` calls :func:`init_app`; nothing here touches the database.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.appraisal import token_routes  # noqa: F401  (adds the token views to the blueprint)
    from app.appraisal.api import bp as api_bp
    from app.appraisal.cli import appraisal_cli
    from app.appraisal.labels import register as register_labels
    from app.appraisal.routes import bp
    from app.extensions import csrf
    from app.people.import_routes import bp as imports_bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # token-authenticated JSON, no cookies: CSRF does not apply
    app.register_blueprint(imports_bp)
    app.cli.add_command(appraisal_cli)
    register_labels(app)
