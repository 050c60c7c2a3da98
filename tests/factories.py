import factory
from django.contrib.auth import get_user_model

from claims.models import Attribution, Claim, Evidence, Quantity, Role
from sources.models import Link, Source, SourceAlias


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = "news_outlet"

    @factory.post_generation
    def aliases(self, create, extracted, **kwargs):
        if not create:
            return
        for alias in [self.name, *(extracted or [])]:
            SourceAlias.objects.get_or_create(source=self, alias=alias)


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Link
        django_get_or_create = ("url",)

    url = factory.Sequence(lambda n: f"https://news.example.org/article/{n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n} as reported.")
    language = "en"
    summary_en = factory.LazyAttribute(lambda c: c.text)


class QuantityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quantity

    claim = factory.SubFactory(ClaimFactory)
    value = 600
    qualifier = "approximately"
    counted = "soldiers killed"


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    role = Role.CLAIMANT
    phrase = "according to"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    link = factory.SubFactory(LinkFactory)
    relation = "reported_in"
