"""audiogen: articles in, bilingual audio lessons and a podcast feed out."""

__version__ = "0.1.0"
