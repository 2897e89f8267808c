"""JSON Schemas of the configuration files, generated from their models, for editors.

Each YAML file starts with `# yaml-language-server: $schema=NAME.schema.json`: VS Code's YAML
extension (and other editors using that language server) then completes keys, shows what they
mean and underlines mistakes as the admin types. `intake rules check` stays the authority: it
also checks what a schema cannot (directory references, rules that can never match).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from intake.config.schema_fr import DESCRIPTIONS
from intake.config.settings import Settings
from parsers.form import FormDefinition
from parsers.wordings import WordingsFile
from rules.model import RulesFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Configuration file -> its model and the title editors show.
FILES: dict[str, tuple[type[BaseModel], str]] = {
    "intake.yaml": (Settings, "Réglages d'intake-3975 (intake.yaml)"),
    "rules.yaml": (RulesFile, "Annuaire et règles de routage (rules.yaml)"),
    "form.yaml": (FormDefinition, "La fiche de signalement officielle (form.yaml)"),
    "decisions.yaml": (WordingsFile, "Formulations des réponses des encadrants (decisions.yaml)"),
}
#: Keys of a model that are not written in the file (Settings.base_dir: where it was read).
INTERNAL = {"intake.yaml": ("base_dir",)}


def schema_name(config_file: str) -> str:
    return config_file.removesuffix(".yaml") + ".schema.json"


def modeline(config_file: str) -> str:
    """The first line of a configuration file, pointing editors at the schema beside it."""
    return f"# yaml-language-server: $schema={schema_name(config_file)}\n"


def schema(config_file: str) -> dict[str, Any]:
    model, title = FILES[config_file]
    generated = model.model_json_schema(by_alias=True)
    for key in INTERNAL.get(config_file, ()):
        generated["properties"].pop(key)
        if key in generated.get("required", ()):
            generated["required"].remove(key)
    definitions = generated.get("$defs", {})
    for described, texts in DESCRIPTIONS.items():
        target = generated if described is model else definitions.get(described.__name__)
        if target is None:
            continue
        for key, text in texts.items():
            prop = target["properties"].get(key)
            if prop is not None:
                prop.pop("title", None)
                prop["description"] = text
        target.pop("description", None)  # the class docstring: written for the code's readers
    return {"$schema": DIALECT, **generated, "title": title}


def render(config_file: str) -> str:
    return json.dumps(schema(config_file), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Every schema into `folder`, named as the files' first lines expect."""
    written = []
    for config_file in FILES:
        path = folder / schema_name(config_file)
        path.write_text(render(config_file), encoding="utf-8")
        written.append(path)
    return written
