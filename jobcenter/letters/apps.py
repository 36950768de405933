from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "jobcenter.letters"
    label = "letters"
    verbose_name = "Breve"
