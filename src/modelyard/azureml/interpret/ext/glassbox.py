"""``interpret.ext.glassbox``: the surrogate models a MimicExplainer names. modelyard explains the model itself,
so these are names only; MimicExplainer warns that no surrogate is trained."""


class LGBMExplainableModel:
    pass


class LinearExplainableModel:
    pass


class SGDExplainableModel:
    pass


class DecisionTreeExplainableModel:
    pass
