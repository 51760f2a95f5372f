"""The Voilà dashboard's views: ipywidgets screens, each given a session factory and identity."""

from helsetilbud.ui.app import EditorApp, OfficeEditor

__all__ = ["EditorApp", "OfficeEditor"]
