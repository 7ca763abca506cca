"""HR exports: one column list, one row source, and a registry of formats (CSV, XLSX).

``export_stream(cycle, fmt, department_id)`` yields the bytes of a download; the web route and the
``flask appraisal export`` command both use it, so they write the same content.
"""

from app.appraisal.exports.formats import (
    FORMATS,
    ExportFormat,
    export_filename,
    export_size,
    export_stream,
    record_export,
)

__all__ = ["FORMATS", "ExportFormat", "export_filename", "export_size", "export_stream", "record_export"]
