"""Scenario drills, complaint-record exercises, polite-language drills and observation checklists.

Layer 4 (DESIGN §1): reads the catalog of app/content, records scores through app/results, and
never imports app/quizzes (its sibling). One subpackage per kind (``scenario``, ``complaint``,
``language``, ``observation``: models, spec, services, forms, routes, kind), the shared base of the
two single-POST exercises (``exercise``) and the pieces every kind shares (``common``). Top level:
the one blueprint (``blueprint``, ``routes``, ``routes_list``), the content loading across kinds
(``drill_content``, ``catalog_sync``, ``content_plugin``), ``models`` (every drill model) and
``kinds.DRILL_KINDS``: the kinds' ActivityKind classes, for ``create_app`` to register.
"""
