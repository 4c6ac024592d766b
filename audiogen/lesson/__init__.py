"""The lesson writer: a read Lesson into Scripts (one per episode), and the
editable YAML form of a Script."""
