"""The publishing side: reads the manifest audiogen wrote, writes feed.xml, index.html and the cover."""
