# The whole history collapsed into one initial migration before the first deployment.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('groups', '0001_initial'),
        ('households', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Visit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='datum')),
                ('kind', models.CharField(choices=[('home', 'huisbezoek'), ('phone', 'telefoon'), ('group_place', 'in ons lokaal'), ('elsewhere', 'ergens anders')], default='home', max_length=12, verbose_name='soort contact')),
                ('duration_minutes', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1440)], verbose_name='duur in minuten')),
                ('topics', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('housing', 'wonen'), ('health', 'gezondheid'), ('income_debt', 'inkomen & schulden'), ('work', 'werk'), ('education', 'onderwijs'), ('leisure', 'vrije tijd'), ('paperwork', 'administratie'), ('energy', 'energie'), ('food', 'voeding'), ('mobility', 'mobiliteit'), ('social_network', 'sociaal netwerk')], max_length=20), blank=True, default=list, verbose_name='onderwerpen')),
                ('support', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('food', 'voedsel'), ('transport', 'vervoer'), ('paperwork', 'papierwerk'), ('referral', 'doorverwijzing'), ('listening', 'luisterend oor'), ('other', 'andere')], max_length=12), blank=True, default=list, verbose_name='praktische hulp')),
                ('support_note', models.CharField(blank=True, max_length=300, verbose_name='welke hulp precies?')),
                ('summary', models.TextField(blank=True, max_length=2000, verbose_name='kort verslag')),
                ('confidential_note', models.TextField(blank=True, max_length=2000, verbose_name='vertrouwelijke notitie')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('submission_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='groups.group')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='households.household')),
            ],
            options={
                'verbose_name': 'contact',
                'verbose_name_plural': 'contacten',
                'ordering': ['-date', '-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='VisitVolunteer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='groups.group')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visit_volunteers', to='visits.visit')),
            ],
        ),
        migrations.AddField(
            model_name='visit',
            name='volunteers',
            field=models.ManyToManyField(related_name='visits', through='visits.VisitVolunteer', to=settings.AUTH_USER_MODEL, verbose_name='wie was erbij'),
        ),
        migrations.CreateModel(
            name='Signal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('institution', models.CharField(choices=[('ocmw', 'OCMW'), ('housing', 'sociale huisvestingsmaatschappij'), ('school', 'school'), ('health', 'huisarts / gezondheidszorg'), ('utility', 'energie- of waterleverancier'), ('other', 'andere')], max_length=10, verbose_name='bij wie?')),
                ('theme', models.CharField(choices=[('housing', 'wonen'), ('health', 'gezondheid'), ('income_debt', 'inkomen & schulden'), ('work', 'werk'), ('education', 'onderwijs'), ('leisure', 'vrije tijd'), ('paperwork', 'administratie'), ('energy', 'energie'), ('food', 'voeding'), ('mobility', 'mobiliteit'), ('social_network', 'sociaal netwerk')], max_length=20, verbose_name='thema')),
                ('description', models.TextField(max_length=2000, verbose_name='wat liep er mis?')),
                ('status', models.CharField(choices=[('open', 'open'), ('raised', 'aangekaart'), ('resolved', 'opgelost')], default='open', max_length=10, verbose_name='status')),
                ('noticed_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='vastgesteld op')),
                ('raised_on', models.DateField(blank=True, null=True, verbose_name='aangekaart op')),
                ('resolved_on', models.DateField(blank=True, null=True, verbose_name='opgelost op')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signals', to='groups.group')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signals', to='households.household')),
                ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='signals', to='visits.visit')),
            ],
            options={
                'verbose_name': 'signaal',
                'verbose_name_plural': 'signalen',
                'ordering': ['-noticed_on', '-pk'],
                'indexes': [models.Index(fields=['group', 'status', '-noticed_on'], name='signal_group_status_idx')],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('description', models.CharField(max_length=300, verbose_name='wat moet er gebeuren?')),
                ('due_date', models.DateField(verbose_name='tegen wanneer?')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='gedaan op')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('assignee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to=settings.AUTH_USER_MODEL, verbose_name='wie doet het?')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='groups.group')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='households.household')),
                ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to='visits.visit')),
            ],
            options={
                'verbose_name': 'actiepunt',
                'verbose_name_plural': 'actiepunten',
                'ordering': ['due_date', 'pk'],
                'indexes': [models.Index(fields=['group', 'assignee', 'done_at', 'due_date'], name='followup_assignee_idx'), models.Index(fields=['group', 'done_at', 'due_date'], name='followup_group_open_idx')],
            },
        ),
        migrations.AddIndex(
            model_name='visitvolunteer',
            index=models.Index(fields=['group', 'user'], name='visitvolunteer_group_user_idx'),
        ),
        migrations.AddConstraint(
            model_name='visitvolunteer',
            constraint=models.UniqueConstraint(fields=('visit', 'user'), name='visit_volunteer_unique'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['group', '-date'], name='visit_group_date_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['household', '-date', '-created_at'], name='visit_household_date_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=django.contrib.postgres.indexes.GinIndex(fields=['topics'], name='visit_topics_gin'),
        ),
    ]
