from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "alongside.peers"
    label = "peers"
