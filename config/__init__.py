"""The configuration shipped with intake-3975, installed as the package `intake_3975_config`.

Copy the YAML files and templates of this folder for a deployment (or run `intake init`);
the program reads its defaults from here through importlib.resources.
"""
