"""OpenFisca variables of the rules package, grouped by topic."""

from jobcenter.rules.variables import facts, income, new_law, old_law

VARIABLE_MODULES = (facts, old_law, new_law, income)


def all_variables() -> list[type]:
    """Every Variable class defined in the modules above."""
    from openfisca_core.variables import Variable

    found: list[type] = []
    for module in VARIABLE_MODULES:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Variable)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found.append(value)
    return found
