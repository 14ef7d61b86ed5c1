{{- define "catfee-worker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "catfee-worker.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "catfee-worker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "catfee-worker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "catfee-worker.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "catfee-worker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: worker
{{- end -}}

{{- define "catfee-worker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "catfee-worker.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret holding the CatFee credentials. */}}
{{- define "catfee-worker.credentialsSecret" -}}
{{- default (include "catfee-worker.fullname" .) .Values.catfee.existingSecret -}}
{{- end -}}

{{/* Whether a kafka.properties file is mounted, and from which Secret. */}}
{{- define "catfee-worker.kafkaPropertiesSecret" -}}
{{- if .Values.kafka.existingPropertiesSecret -}}
{{- .Values.kafka.existingPropertiesSecret -}}
{{- else if .Values.kafka.properties -}}
{{- include "catfee-worker.fullname" . -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart renders its own Secret (credentials and/or kafka.properties). */}}
{{- define "catfee-worker.rendersSecret" -}}
{{- if or (not .Values.catfee.existingSecret) (and .Values.kafka.properties (not .Values.kafka.existingPropertiesSecret)) -}}
true
{{- end -}}
{{- end -}}

{{/* kafka.properties rendered from the kafka.properties map, keys sorted. */}}
{{- define "catfee-worker.kafkaPropertiesFile" -}}
# librdkafka settings rendered by the catfee-worker chart
{{- range $k, $v := .Values.kafka.properties }}
{{- if or (contains "\n" (toString $v)) (contains "\n" $k) }}
{{- fail (printf "kafka.properties.%s: values and keys must be single-line" $k) }}
{{- end }}
{{ $k }}={{ $v }}
{{- end }}
{{- end -}}

{{/* Shutdown bound in whole seconds, rounded up. */}}
{{- define "catfee-worker.shutdownSeconds" -}}
{{- div (add (int64 .Values.worker.shutdownTimeoutMs) 999) 1000 -}}
{{- end -}}

{{- define "catfee-worker.terminationGracePeriodSeconds" -}}
{{- add (include "catfee-worker.shutdownSeconds" . | int64) (int64 .Values.worker.terminationGraceMarginSeconds) -}}
{{- end -}}

{{/*
checksum/secret: changes whenever the credentials or kafka.properties change, so that
`helm upgrade` rolls the pods (failure case 12). Over the rendered Secret when the chart owns
it; over the existing Secrets' names plus catfee.secretRevision otherwise.
*/}}
{{- define "catfee-worker.secretChecksum" -}}
{{- $rendered := "" -}}
{{- if include "catfee-worker.rendersSecret" . -}}
{{- $rendered = include (print $.Template.BasePath "/secret.yaml") . -}}
{{- end -}}
{{- printf "%s|existing=%s|props=%s|revision=%v" $rendered .Values.catfee.existingSecret .Values.kafka.existingPropertiesSecret .Values.catfee.secretRevision | sha256sum -}}
{{- end -}}

{{/* Fails rendering with a clear message on a configuration the worker cannot run with. */}}
{{- define "catfee-worker.validate" -}}
{{- if not .Values.kafka.bootstrapServers -}}
{{- fail "kafka.bootstrapServers is required (KAFKA_BOOTSTRAP_SERVERS): set it to a comma-separated host:port list" -}}
{{- end -}}
{{- if not .Values.catfee.existingSecret -}}
{{- if not .Values.catfee.apiSecret -}}
{{- fail "CatFee API secret missing: set catfee.apiSecret (and catfee.apiKey), or catfee.existingSecret naming a Secret with the keys in catfee.existingSecretKeys" -}}
{{- end -}}
{{- if not .Values.catfee.apiKey -}}
{{- fail "catfee.apiKey is required (CATFEE_API_KEY) when catfee.existingSecret is not set" -}}
{{- end -}}
{{- end -}}
{{- if not (has .Values.catfee.signatureScope (list "path-and-query" "path")) -}}
{{- fail (printf "catfee.signatureScope must be path-and-query or path, not %q" .Values.catfee.signatureScope) -}}
{{- end -}}
{{- if lt (int64 .Values.worker.terminationGraceMarginSeconds) 5 -}}
{{- fail "worker.terminationGraceMarginSeconds must be at least 5" -}}
{{- end -}}
{{- $bound := include "catfee-worker.shutdownSeconds" . | int64 -}}
{{- $grace := include "catfee-worker.terminationGracePeriodSeconds" . | int64 -}}
{{- if le $grace $bound -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be above the shutdown bound SHUTDOWN_TIMEOUT_MS/1000 (%d)" $grace $bound) -}}
{{- end -}}
{{- $live := mul (int64 .Values.probes.liveness.periodSeconds) (int64 .Values.probes.liveness.failureThreshold) -}}
{{- if le $live $bound -}}
{{- fail (printf "probes.liveness periodSeconds x failureThreshold (%d s) must exceed the shutdown bound (%d s): a drain must not be killed by the liveness probe" $live $bound) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled .Values.keda.enabled -}}
{{- fail "autoscaling.enabled and keda.enabled are mutually exclusive (KEDA manages its own HPA)" -}}
{{- end -}}
{{- end -}}
