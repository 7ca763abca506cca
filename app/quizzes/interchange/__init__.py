"""Question-bank interchange with Moodle: GIFT and Moodle XML (issue 16, item 3).

Both directions go through one neutral record, :class:`~.model.MoodleQuestion` (what a Moodle
question carries: type, name, text, answers with fractions, tags, category):

* export: ``QuestionDoc`` → ``to_moodle`` (``outgoing``) → ``gift.write`` / ``moodle_xml.write``;
* import: ``gift.read`` / ``moodle_xml.read`` → ``from_moodle`` (``incoming``) → a
  :class:`~.model.Draft` → ``markdown_writer`` → this project's question files.

Everything here is pure (text in, text out); ``bank`` ties the steps together for the CLI in
``app.quizzes.interchange_cli``.
"""
