"""How `make test` spreads the tests over pytest-xdist workers (``-n N --dist loadgroup``).

Rules for a new test (nothing to do in the usual case):
- The tests of a module run on one worker, in their order, so a module-scoped fixture (a server, a
  trained model) is built once, not once per worker.
- A module that uses the ``ray_cluster`` fixture runs on the one worker of the ``ray`` group: two Ray
  clusters on one machine collide (``ray stop`` stops every node). Nothing to mark: the fixture's name
  is enough. Add a fixture to ``GROUPS`` when it starts something else that must exist once per machine.
- Session-scoped fixtures are built once per worker. An expensive one (``hr_run``: a whole AutoML run) is
  in ``GROUPS`` too, so that the modules that use it share one worker and one build; keep new
  session-scoped fixtures cheap, or add them there.
- Nothing may assume a fixed port, a fixed folder or the repository's tree for writing: use
  ``free_port()``, ``tmp_path`` and port 0; workers run side by side.
- Wait as long as the work needs (poll with a generous deadline); never fail because the machine is slow.
"""

from __future__ import annotations

import pytest

# fixture -> group: every module with a test that uses the fixture runs on that group's one worker
GROUPS = {"ray_cluster": "ray", "hr_run": "hr_run"}
# Scheduled first: the longest units of work must not start last.
FIRST_GROUPS = ("ray",)
FIRST_MARKS = ("slow",)


def _groups(item) -> list[str]:
    return sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                   for mark in item.iter_markers("xdist_group")})


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """On a worker under ``--dist loadgroup``: the groups of ``GROUPS``, the long units first, and the
    ``@group`` node-id suffix that xdist 3.8 writes into ``item._nodeid``, which pytest 9.2 no longer reads
    (it reads ``item._id``): without it, groups were silently ignored."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers only
        return
    grouped = {item.path: GROUPS[name] for item in items for name in getattr(item, "fixturenames", ())
               if name in GROUPS}
    for item in items:
        if item.path in grouped:
            item.add_marker(pytest.mark.xdist_group(grouped[item.path]))
    items.sort(key=lambda item: (not any(group in FIRST_GROUPS for group in _groups(item)),
                                 not any(item.get_closest_marker(mark) for mark in FIRST_MARKS)))  # stable
    for item in items:
        groups = _groups(item)
        if groups and "@" not in item.nodeid and hasattr(item, "_id"):
            from _pytest.nodeid import NodeId

            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` with a module as the unit of work for tests outside a group (xdist's own sends
    each such test anywhere, which builds a module's fixtures on every worker), in collection order."""
    if config.getvalue("dist") != "loadgroup":
        return None
    config.option.loadscopereorder = False  # by test count; the order above puts the long units first
    from xdist.scheduler import LoadGroupScheduling

    class ModulesAndGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):
                return nodeid.split("@")[-1]
            return nodeid.split("::", 1)[0]

    return ModulesAndGroups(config, log)
