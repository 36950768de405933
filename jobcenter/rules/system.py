"""The OpenFisca tax-benefit system of Jobcenter's rules."""

from __future__ import annotations

import os

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from jobcenter.rules.entities import entities
from jobcenter.rules.errors import RulesError
from jobcenter.rules.parameters import check_parameter_validity

PARAMETERS_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parameters")


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """Kontanthjælp under lov om aktiv socialpolitik, from January 2023.

    The class name is what OpenFisca's command line (``openfisca test
    --country-package jobcenter.rules``) looks for.
    """

    def __init__(self) -> None:
        from jobcenter.rules.variables import all_variables

        super().__init__(entities)
        self.add_variables(*all_variables())
        self.load_parameters(PARAMETERS_DIRECTORY)
        problems = check_parameter_validity(self.parameters)
        if problems:
            raise RulesError("Parameter files are inconsistent:\n" + "\n".join(problems))
