// Placeholder replaced by the PlantConfig implementation.
public import ProcessModel
