"""The sound of an episode: laying lines out (mix), loudness (loudness, master),
the MP3 (encode, ffmpeg), code-made stings, ID3 tags; pcm holds the sample
conversions they share. NumPy and SciPy load only when this package does,
so a build with nothing to render never imports it.
"""
