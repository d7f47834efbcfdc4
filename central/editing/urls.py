"""/admin/flows/...: the flow editor (map, node forms, preview, walk, YAML view)."""

from django.urls import path

from central.editing import views_flow, views_node, views_walk

urlpatterns = [
    path("", views_flow.flow_list, name="editing-list"),
    path("laws.json", views_node.law_articles, name="editing-laws"),
    path("<slug:flow_id>/", views_flow.flow_page, name="editing-flow"),
    path("<slug:flow_id>/map.svg", views_flow.map_svg, name="editing-map"),
    path("<slug:flow_id>/save", views_flow.save_flow, name="editing-save"),
    path("<slug:flow_id>/discard", views_flow.discard, name="editing-discard"),
    path("<slug:flow_id>/yaml", views_flow.yaml_page, name="editing-yaml"),
    path("<slug:flow_id>/walk", views_walk.walk, name="editing-walk"),
    path("<slug:flow_id>/add-node", views_node.add_node, name="editing-add-node"),
    path("<slug:flow_id>/nodes/<slug:node_id>/", views_node.node_page, name="editing-node"),
    path("<slug:flow_id>/nodes/<slug:node_id>/preview", views_node.node_preview, name="editing-preview"),
    path("<slug:flow_id>/nodes/<slug:node_id>/delete", views_node.delete_node, name="editing-delete-node"),
]
