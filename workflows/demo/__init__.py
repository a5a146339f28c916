"""The demo: the whole story on a fresh database, for `portal demo` and `portal serve --demo`."""

from workflows.demo.builder import DemoScale, DemoSummary, build_demo
from workflows.demo.catalogue import DEMO_PASSWORD
from workflows.demo.story import DemoSigning

__all__ = ["DEMO_PASSWORD", "DemoScale", "DemoSigning", "DemoSummary", "build_demo"]
