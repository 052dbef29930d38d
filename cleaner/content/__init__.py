"""Main-content detection from text alone: a line model, shipped as data, for pages no rule was written for.

Its modules need numpy, so they load only where `content` calls for the model.
"""

RULE = "content/model"  # the rule id the model's drops are recorded under
