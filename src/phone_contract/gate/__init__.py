"""``phone-contract gate``: the contract gate, a thin runner over the pytest suite in ``contract_tests/``.

Modules, from the command down:

- ``command``: arguments, preflight (spec, token, reachability), exit statuses; ``runner`` runs pytest.
- ``settings``: what a run is asked to do; travels to the suite in ``PHONE_CONTRACT_GATE``.
- ``run``: one run's target, schemathesis schemas, checks, secrets and tally.
- ``target``: the door every request passes (``Gatekeeper``: budgets, pace, retries, records) and the
  live ``Forwarder``; beside it ``door_options`` (its settings and options), ``transient`` (what is
  retried), ``misconfiguration`` (a wrong token or URL, from the first answers), ``created`` (the
  numbers a run created) and ``door_report`` (its summary lines and files).
- ``pinning``: the workspace and user a live API knows (``--workspace-id``...), written into valid bodies.
- ``checks``: the gate's own ``@schemathesis.check`` functions; ``conformance`` runs them with the
  built-in ones; ``properties`` and ``deep`` are the hypothesis property tests' logic and strategy.
- ``report``, ``redact``, ``pytest_support``, ``profiles``, ``hypothesis_home``: readable, secret-free
  output, and repeatable runs.
"""
