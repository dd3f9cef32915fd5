"""policybot: answers questions about Chinese quality-policy documents, citing exact clauses.

The public entry points live in :mod:`bot.service`; the CLI (:mod:`bot.cli`) and the Gradio app
(`app.py`) are thin layers over it.
"""

from bot.runtime import apply_serving_threads

apply_serving_threads()
