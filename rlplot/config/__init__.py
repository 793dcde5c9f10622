"""Configuration: the option schema (declared once) and the layered YAML loader."""
from .loader import LoadedConfig, load_config
from .presets import preset_names
from .schema import (Config, DataSpec, FigureStyle, LegendStyle, LineStyle, OutputSpec, PanelStyle,
                     ScatterStyle, SmoothingSpec, to_mapping)

__all__ = ["Config", "DataSpec", "FigureStyle", "LegendStyle", "LineStyle", "LoadedConfig",
           "OutputSpec", "PanelStyle", "ScatterStyle", "SmoothingSpec", "load_config",
           "preset_names", "to_mapping"]
