"""``phone-contract gate``: the contract gate, a thin runner over the pytest suite in ``contract_tests/``.

Modules, from the command down:

- ``command``: arguments, preflight (spec, token, reachability), exit statuses; ``suite`` runs pytest
  with the run's ``plugin`` (a :class:`~phone_contract.gate.plugin.GatePlugin`) and reads the verdict
  back from it.
- ``settings``: what a run is asked to do (``GateSettings``); the plugin carries them to the suite.
- ``session``: one run's target, schemathesis schemas, checks and secrets, opened by the suite's
  fixture (``gate``) when the first contract test runs.
- ``door``: the door every request passes (``Gatekeeper``: budgets, pace, retries, records, the
  ownership rule of ``ownership``), ``door_errors`` (why it refused or stopped) and ``forwarder`` (the
  live API's transport); beside them ``door_options`` (its settings and options), ``transient`` (what is
  retried), ``misconfiguration`` (a wrong token or URL, from the first answers), ``created`` (the
  numbers a run created) and ``door_report`` (its summary lines and files).
- ``pinning``: the workspace and user a live API knows (``--workspace-id``...), written into valid bodies.
- ``checks``: the gate's own ``@schemathesis.check`` functions; ``conformance`` runs them with the
  built-in ones and keeps every failure; ``properties`` and ``deep`` are the hypothesis property
  tests' logic and strategy.
- ``tally`` (what was seen: outcomes, failures grouped, drift) and ``report``/``drift`` (how it is
  told); ``progress`` (the live status line); ``profiles``, ``hypothesis_home``: repeatable runs.
"""
