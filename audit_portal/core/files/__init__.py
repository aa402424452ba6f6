"""Files built by the worker: exports and PDFs too large to build inside a request.

A page asks for a file (``services.file_request``): a row is written (who, what kind, which
filters) and, once the transaction commits, the task ``tasks.build_file`` is queued. The worker
runs the builder the kind's app registered (``registry.register_builder``, from its
``AppConfig.ready``), which re-reads the records with the requester's scope as it is then,
reports its progress and returns the file; the file is kept in private storage (never served by
a static URL) and downloaded through ``views.file_download`` by its owner only. A failure is
recorded with a message for the owner (never a traceback); a build the worker never finished is
offered again. ``manage.py purge_files`` deletes the files past their keeping time.

Files the system publishes (the open-day PDFs) have no owner but a ``key``: the page that
publishes them serves the newest ready file of its key (``selectors.published_file``).
"""
