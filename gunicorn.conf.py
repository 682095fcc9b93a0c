"""How CodeLearn is served locally and self-hosted: `gunicorn -c gunicorn.conf.py "app:create_app()"`.

The sizes follow the grader's settings (CODELEARN_GRADER_CONCURRENCY, CODELEARN_GRADER_QUEUE_LENGTH),
read as create_app reads them, so grading can never hold every thread that serves pages:

- one worker process, so its grader's slots are the machine's sandboxes (no more learner programs
  at once than GRADER_CONCURRENCY, sized to the cores) and its waiting places are shared by every
  request instead of split between processes (a submission finds a free place more often);
- threads = the grader's slots + its waiting places (the most threads grading can hold; past
  them a submission is answered "busy" at once) + PAGE_THREADS that only ever serve pages
  (config.request_threads).

Pages cost a few milliseconds of Python each, far from filling one process's GIL at the load the
grader's slots allow (bench/load.py); a machine with more cores raises GRADER_CONCURRENCY.
"""

# gunicorn reads every public name here as one of its settings: the imports stay private.
from flask import Config as _Config

import config as _codelearn_config

_settings = _Config(".", _codelearn_config.defaults())
_settings.from_prefixed_env(_codelearn_config.ENV_PREFIX)  # as create_app reads them

workers = 1
worker_class = "gthread"
threads = _codelearn_config.request_threads(_settings)
keepalive = 5
backlog = 256
