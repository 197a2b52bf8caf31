# The whole history collapsed into one initial migration before the first deployment.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Group',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, verbose_name='naam')),
                ('slug', models.SlugField(help_text='Staat in elke link van de groep, bv. brugge-sint-pieters.', max_length=100, unique=True, verbose_name='korte naam in de link')),
                ('municipality', models.CharField(max_length=100, verbose_name='gemeente')),
                ('is_active', models.BooleanField(default=True, verbose_name='actief')),
                ('visit_interval_weeks', models.PositiveSmallIntegerField(default=6, help_text='Een gezin zonder contact sinds zoveel weken staat op de lijst ‘heeft een bezoek nodig’.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(52)], verbose_name='bezoek nodig na (weken)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='aangemaakt op')),
            ],
            options={
                'verbose_name': 'Welzijnsschakel',
                'verbose_name_plural': 'Welzijnsschakels',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('volunteer', 'vrijwilliger'), ('coordinator', 'coördinator')], default='volunteer', max_length=20, verbose_name='rol')),
                ('is_active', models.BooleanField(default=True, verbose_name='actief')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='lid sinds')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='gewijzigd op')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='groups.group', verbose_name='groep')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'lidmaatschap',
                'verbose_name_plural': 'lidmaatschappen',
                'ordering': ['group', 'user__full_name', 'user__email'],
            },
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='groups.group')),
                ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='groups.membership', verbose_name='lidmaatschap')),
            ],
            options={
                'verbose_name': 'uitnodiging',
                'verbose_name_plural': 'uitnodigingen',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='naam')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='korte naam')),
                ('contact_name', models.CharField(blank=True, max_length=150, verbose_name='contactpersoon')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail contactpersoon')),
                ('staff', models.ManyToManyField(blank=True, help_text='Zien de cijfers van de groepen van deze regio, zonder namen. Nooit gegevens van gezinnen.', related_name='staff_regions', to=settings.AUTH_USER_MODEL, verbose_name='regionale medewerkers')),
            ],
            options={
                'verbose_name': 'regio',
                'verbose_name_plural': "regio's",
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='group',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='groups', to='groups.region', verbose_name='regio'),
        ),
        migrations.AddIndex(
            model_name='membership',
            index=models.Index(fields=['group', 'is_active'], name='groups_membership_active_idx'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('user', 'group'), name='groups_membership_user_group_unique'),
        ),
    ]
